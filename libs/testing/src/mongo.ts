import mongoose, { Connection } from 'mongoose';
import { testServers, uniqueName } from './test-servers';

/** A connection to a fresh database of its own; drop it with `dropTestDatabase`. */
export async function connectTestDatabase(prefix = 'test'): Promise<Connection> {
  const connection = mongoose.createConnection(testServers().mongoUrl, { dbName: uniqueName(prefix).replace(/-/g, '_'), serverSelectionTimeoutMS: 5_000 });
  await connection.asPromise();
  return connection;
}

export async function dropTestDatabase(connection: Connection): Promise<void> {
  await connection.dropDatabase();
  await connection.close();
}
