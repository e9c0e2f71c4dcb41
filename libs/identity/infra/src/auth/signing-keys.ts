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

/** Keys stay published this long after a newer key took over, so tokens they signed still verify. */
const PUBLISHED_KEYS = 3;

/**
 * Ed25519 signing keys in identity's database; the newest few are published as JWKS.
 * Rotation publishes a new key at once but signs with it only after `activationDelaySeconds`, which is
 * longer than a verifier's JWKS refetch cooldown: by the time a token with the new key id arrives, every
 * verifier either already has the key or may refetch. Tokens of the previous key verify until they expire.
 */
@Injectable()
export class SigningKeys {
  private readonly model: Model<SigningKeyDocument>;
  private cache?: { at: number; keys: SigningKeyDocument[] };

  /** set by the module from KEY_ACTIVATION_SECONDS */
  activationDelaySeconds = 10;

  constructor(@InjectConnection() connection: Connection) {
    this.model = (connection.models['SigningKey'] as Model<SigningKeyDocument>) ?? connection.model<SigningKeyDocument>('SigningKey', signingKeySchema);
  }

  async rotate(activateNow = false): Promise<string> {
    const { privateKey, publicKey } = await generateKeyPair('EdDSA', { crv: 'Ed25519', extractable: true });
    const kid = `${new Date().toISOString().slice(0, 10)}-${randomUUID().slice(0, 8)}`;
    await this.model.create({ _id: kid, privateJwk: await exportJWK(privateKey), publicJwk: { ...(await exportJWK(publicKey)), kid, alg: 'EdDSA', use: 'sig' }, createdAt: new Date(),
      activatesAt: new Date(Date.now() + (activateNow ? 0 : this.activationDelaySeconds * 1000)) });
    this.cache = undefined;
    return kid;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: (await this.published()).map((k) => k.publicJwk) };
  }

  async sign(claims: Record<string, unknown>, subject: string, settings: { issuer: string; audience: string; ttlSeconds: number }): Promise<string> {
    const active = async () => (await this.published()).find((k) => k.activatesAt.getTime() <= Date.now());
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

  /** newest first; re-read at most every 30 s so all identity instances converge after a rotation */
  private async published(): Promise<SigningKeyDocument[]> {
    if (!this.cache || Date.now() - this.cache.at > 30_000) {
      const all = await this.model.find().lean();
      const keys = all.sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime()).slice(0, PUBLISHED_KEYS);
      this.cache = { at: Date.now(), keys };
    }
    return this.cache.keys;
  }
}
