import { SsoService } from '@cbme/identity-infra';
import { Public } from '@cbme/service-runtime';
import { Controller, Get, Query, Redirect } from '@nestjs/common';
import { ApiResponse, ApiTags } from '@nestjs/swagger';
import { SsoCallbackQueryDto, SsoStartQueryDto } from './identity.dto';
import { SsoTokenPairResult } from './identity.responses';

/**
 * Single sign-on through the institution's OpenID Connect provider (authorization code + PKCE).
 * The browser goes to /auth/sso/start, signs in at the provider, and comes back to /auth/sso/callback,
 * which answers with the same token pair as /auth/login (as JSON, with `returnTo` when the start gave one).
 */
@ApiTags('authentication')
@Controller('auth/sso')
export class SsoController {
  constructor(private readonly sso: SsoService) {}

  @Public()
  @Get('start')
  @Redirect(undefined, 302)
  @ApiResponse({ status: 302, description: 'to the provider, with code_challenge (S256), state and nonce' })
  @ApiResponse({ status: 404, description: 'single sign-on is not configured' })
  async start(@Query() query: SsoStartQueryDto) {
    return { url: await this.sso.start(query.returnTo) };
  }

  @Public()
  @Get('callback')
  @ApiResponse({ status: 200, description: 'the same token pair as /auth/login (and returnTo when the start gave one)', schema: SsoTokenPairResult })
  @ApiResponse({ status: 400, description: 'sign-in attempt unknown, already used or expired' })
  @ApiResponse({ status: 401, description: 'the provider refused, its response did not verify, or no active account has its verified e-mail' })
  callback(@Query() query: SsoCallbackQueryDto) {
    return this.sso.complete(query);
  }
}
