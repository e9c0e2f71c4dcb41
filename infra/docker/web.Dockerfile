# The browser's one origin: the web app (services/web) built with Nx, served by the official nginx image,
# which renders infra/nginx/cbme.conf.template (mounted by docker-compose.yml) into conf.d on start.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN NX_DAEMON=false NX_NO_CLOUD=true npx nx run web:build --outputStyle=static

FROM nginx:1.27
# the image's own server on port 80 is not wanted next to ours
RUN rm -f /etc/nginx/conf.d/default.conf
COPY --from=build /app/dist/web /usr/share/nginx/html
# substitute only our variables, so nginx's own ($uri, $host, ...) survive
ENV NGINX_ENVSUBST_FILTER=^CBME_ CBME_LISTEN=8080 CBME_WEB_ROOT=/usr/share/nginx/html
