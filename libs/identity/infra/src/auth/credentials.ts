import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import bcrypt from 'bcryptjs';
import { Connection, Model, Schema } from 'mongoose';

interface CredentialDocument {
  _id: string; // the lower-cased e-mail: one account per address
  userId: string;
  hash: string | null;
}

const credentialSchema = new Schema<CredentialDocument>({ _id: String, userId: String, hash: String }, { versionKey: false, collection: 'credentials' });

/** Compared against when the e-mail is unknown, so a failed login takes as long either way. */
const DUMMY_HASH = bcrypt.hashSync('not-a-real-password', 10);
const COST = 10;

/**
 * E-mail reservations and bcrypt password hashes. Kept out of the event store on purpose:
 * secrets must be replaceable and erasable, events are forever.
 */
@Injectable()
export class Credentials {
  private readonly model: Model<CredentialDocument>;

  constructor(@InjectConnection() connection: Connection) {
    this.model = (connection.models['Credential'] as Model<CredentialDocument>) ?? connection.model<CredentialDocument>('Credential', credentialSchema);
  }

  async isTaken(email: string): Promise<boolean> {
    return (await this.model.exists({ _id: email.toLowerCase() })) !== null;
  }

  /**
   * Claims an e-mail for a user, with the password's hash if given; false when another user already has it.
   * Inserting is atomic, so two claims cannot both win. A repeated claim changes nothing: a password is set with a
   * new claim only (else anyone who may register could set one for an existing account).
   */
  async reserve(email: string, userId: string, password?: string): Promise<boolean> {
    try {
      await this.model.create({ _id: email.toLowerCase(), userId, hash: password ? await bcrypt.hash(password, COST) : null });
      return true;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      const existing = await this.model.findById(email.toLowerCase()).lean();
      return existing?.userId === userId;
    }
  }

  /** The user an e-mail belongs to, for sign-in established elsewhere (single sign-on); null when none. */
  async userIdOf(email: string): Promise<string | null> {
    return (await this.model.findById(email.toLowerCase()).lean())?.userId ?? null;
  }

  async release(email: string, userId: string): Promise<void> {
    await this.model.deleteOne({ _id: email.toLowerCase(), userId });
  }

  async setPassword(email: string, password: string): Promise<void> {
    await this.model.updateOne({ _id: email.toLowerCase() }, { $set: { hash: await bcrypt.hash(password, COST) } });
  }

  /** The user id when the password matches; null otherwise (without telling which part was wrong). */
  async check(email: string, password: string): Promise<string | null> {
    const found = await this.model.findById(email.toLowerCase()).lean();
    const matches = await bcrypt.compare(password, found?.hash ?? DUMMY_HASH);
    return matches && found?.hash ? found.userId : null;
  }
}
