import { Public, ResolvedConfig, SERVICE_CONFIG } from '@cbme/service-runtime';
import { Controller, Get, Inject, NotFoundException, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Response } from 'express';
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';

/** Where `nx run analytics-dashboard:build` (or `infra/start.sh`) puts the built page. */
export const DASHBOARD_DIR = resolve(process.env['DASHBOARD_DIR'] ?? 'dist/analytics-dashboard');

/**
 * Serves the dashboard page (static files, public: it holds no data) and its configuration: where identity
 * is, for signing in. The page then calls this service's analytics endpoints with the access token.
 */
@Public()
@ApiExcludeController()
@Controller('dashboard')
export class DashboardController {
  constructor(@Inject(SERVICE_CONFIG) private readonly config: ResolvedConfig) {}

  /** `/dashboard` and `/dashboard/` (the page uses absolute paths, so either works) */
  @Get()
  root(@Res() response: Response) {
    return this.send(response, 'index.html');
  }

  @Get('config.json')
  settings() {
    return { identityUrl: new URL(this.config.auth.jwksUrl).origin };
  }

  @Get('*path')
  file(@Param('path') path: string | string[], @Res() response: Response) {
    return this.send(response, (Array.isArray(path) ? path.join('/') : path) || 'index.html');
  }

  private send(response: Response, relative: string) {
    const file = resolve(DASHBOARD_DIR, relative);
    if (!file.startsWith(DASHBOARD_DIR + sep)) throw new NotFoundException();
    if (existsSync(file)) return response.sendFile(file, { maxAge: relative.startsWith('assets/') ? '1y' : 0 });
    if (relative.startsWith('assets/')) throw new NotFoundException(`no ${relative}`);
    const index = join(DASHBOARD_DIR, 'index.html');
    if (!existsSync(index)) throw new NotFoundException('the dashboard is not built: run `npx nx run analytics-dashboard:build`');
    return response.sendFile(index);
  }
}
