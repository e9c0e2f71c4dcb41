import { BadRequestException, createParamDecorator, ExecutionContext } from '@nestjs/common';
import { ApiHeader } from '@nestjs/swagger';

/** Optional `If-Match: <version>` header: the stream version the client last saw (a mismatch answers 409). */
export const IfMatchVersion = createParamDecorator(
  (_: unknown, ctx: ExecutionContext): number | undefined => {
    const raw = ctx.switchToHttp().getRequest().headers['if-match'];
    if (raw === undefined) return undefined;
    const version = Number(String(raw).replace(/"/g, ''));
    if (!Number.isInteger(version) || version < 0) throw new BadRequestException('If-Match must be a stream version (a whole number)');
    return version;
  },
  // the header in the route's OpenAPI operation
  [(target: object, key: string | symbol | undefined) => {
    if (key === undefined) return;
    ApiHeader({ name: 'if-match', required: false, description: 'the stream version you last saw: a newer one answers 409 version-conflict', schema: { type: 'string', pattern: '^"?\\d+"?$', example: '"3"' } })(target, key, Object.getOwnPropertyDescriptor(target, key) as PropertyDescriptor);
  }],
);
