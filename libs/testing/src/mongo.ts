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

/**
 * Drops the databases the services of one namespace used (`<namespace>_<service>`, as the services name them).
 * By name, not by listing: FerretDB's listDatabases can wait for minutes while other work writes to the server.
 */
export async function dropServiceDatabases(namespace: string, services: string[]): Promise<void> {
  const connection = await mongoose.createConnection(testServers().mongoUrl).asPromise();
  try {
    for (const service of services) await connection.useDb(`${namespace.replace(/-/g, '_')}_${service}`).dropDatabase();
  } finally {
    await connection.close();
  }
}
