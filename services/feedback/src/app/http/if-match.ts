import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';

/** Optional `If-Match: <version>` header: the stream version the client last saw (a mismatch answers 409). */
export const IfMatchVersion = createParamDecorator((_: unknown, ctx: ExecutionContext): number | undefined => {
  const raw = ctx.switchToHttp().getRequest().headers['if-match'];
  if (raw === undefined) return undefined;
  const version = Number(String(raw).replace(/"/g, ''));
  if (!Number.isInteger(version) || version < 0) throw new BadRequestException('If-Match must be a stream version (a whole number)');
  return version;
});
