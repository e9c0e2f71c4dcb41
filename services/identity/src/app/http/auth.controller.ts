import { AuthService, SigningKeys } from '@cbme/identity-infra';
import { ApiResult, Caller, Public, RequestContext } from '@cbme/service-runtime';
import { Body, Controller, ForbiddenException, Get, HttpCode, Ip, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { JwksResult, KeyRotatedResult, TokenPairResult } from './identity.responses';
import { LoginDto, RefreshDto } from './identity.dto';

@ApiTags('authentication')
@Controller()
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly keys: SigningKeys,
  ) {}

  /** Local sign-in: an access token (15 min) and a single-use refresh token. */
  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiResult(TokenPairResult)
  login(@Body() body: LoginDto, @Ip() address: string) {
    return this.auth.login(body.email, body.password, address);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiResult(TokenPairResult)
  refresh(@Body() body: RefreshDto) {
    return this.auth.refresh(body.refreshToken);
  }

  /** The public keys every service verifies access tokens with. */
  @Public()
  @Get('.well-known/jwks.json')
  @ApiResult(JwksResult)
  jwks() {
    return this.keys.jwks();
  }

  /** Starts signing with a new key; tokens signed with the previous ones stay valid until they expire. */
  @Post('admin/signing-keys/rotate')
  @ApiResult(KeyRotatedResult)
  async rotate(@Caller() caller: RequestContext) {
    if (caller.role !== 'institution-admin') throw new ForbiddenException('only an institution admin rotates signing keys');
    return { kid: await this.keys.rotate() };
  }
}
