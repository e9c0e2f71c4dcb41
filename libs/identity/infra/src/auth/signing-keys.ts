import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import { exportJWK, generateKeyPair, importJWK, JWK, KeyLike, SignJWT } from 'jose';
import { Connection, Model, Schema } from 'mongoose';
import { randomUUID } from 'node:crypto';

interface SigningKeyDocument {
  _id: string;
  privateJwk: JWK;
  publicJwk: JWK;
  createdAt: Date;
  activatesAt: Date;
}

const signingKeySchema = new Schema<SigningKeyDocument>(
  { _id: String, privateJwk: Schema.Types.Mixed, publicJwk: Schema.Types.Mixed, createdAt: Date, activatesAt: Date },
  { versionKey: false, collection: 'signing_keys' },
);

/** how long an identity instance may go on signing with a key after another one rotated (its key cache) */
const CACHE_MS = 30_000;
/** how far a verifier's clock may lag identity's: it still takes a token for unexpired that long after `exp` */
const CLOCK_SKEW_MS = 60_000;

/**
 * Ed25519 signing keys in identity's database, published as JWKS.
 * Rotation publishes a new key at once but signs with it only after `activationDelaySeconds`, which is
 * longer than a verifier's JWKS refetch cooldown: by the time a token with the new key id arrives, every
 * verifier either already has the key or may refetch. A key stops signing when a newer key activates, and
 * stays published until every token it signed has expired (cache + token lifetime + clock skew later),
 * however often keys are rotated meanwhile; then it is no longer published nor used.
 */
@Injectable()
export class SigningKeys {
  private readonly model: Model<SigningKeyDocument>;
  private cache?: { at: number; keys: SigningKeyDocument[] };

  /** set by the module from KEY_ACTIVATION_SECONDS */
  activationDelaySeconds = 10;
  /** set by the module from ACCESS_TOKEN_SECONDS */
  tokenLifetimeSeconds = 900;
  /** the clock (tests move it) */
  now: () => number = Date.now;

  constructor(@InjectConnection() connection: Connection) {
    this.model = (connection.models['SigningKey'] as Model<SigningKeyDocument>) ?? connection.model<SigningKeyDocument>('SigningKey', signingKeySchema);
  }

  async rotate(activateNow = false): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const now = this.now();
    const kid = `${new Date(now).toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
    await this.model.create({ _id: kid, privateJwk: await exportJWK(privateKey), publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }, createdAt: new Date(now),
      activatesAt: new Date(now + (activateNow ? 0 : this.activationDelaySeconds * 1000)) });
    this.cache = undefined;
    return kid;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.published()).map((k) => k.publicJwk) };
  }

  async sign(claims: Record<string, unknown>, subject: string, settings: { issuer: string; audience: string; ttlSeconds: number }): Promise<string> {
    const active = async () => (await this.published()).find((k) => k.activatesAt.getTime() <= this.now());
    let current = await active();
    if (!current) {
      await this.rotate(true); // the very first key: nobody can have cached a JWKS without it
      current = await active();
    }
    if (!current) throw new Error('no active signing key');
    const key = (await importJWK(current.privateJwk, 'EdDSA')) as KeyLike;
    return new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA', kid: current._id, typ: 'at+jwt' })
      .setSubject(subject)
      .setIssuer(settings.issuer)
      .setAudience(settings.audience)
      .setIssuedAt()
      .setJti(randomUUID())
      .setExpirationTime(`${settings.ttlSeconds}s`)
      .sign(key);
  }

  /** newest first, without the keys whose tokens have all expired; re-read at most every 30 s so all identity instances converge after a rotation */
  private async published(): Promise<SigningKeyDocument[]> {
    const now = this.now();
    if (!this.cache || now - this.cache.at > CACHE_MS) {
      const all = (await this.model.find().lean()).sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime());
      const lastTokenExpires = CACHE_MS + this.tokenLifetimeSeconds * 1000 + CLOCK_SKEW_MS; // after the key stopped signing
      const keys: SigningKeyDocument[] = [];
      let supersededAt = Infinity; // when the first newer key activated, so this one stopped signing
      for (const key of all) {
        if (now < supersededAt + lastTokenExpires) keys.push(key);
        supersededAt = Math.min(supersededAt, key.activatesAt.getTime());
      }
      this.cache = { at: now, keys };
    }
    return this.cache.keys;
  }
}
