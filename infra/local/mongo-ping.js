// Health check for FerretDB: a real MongoDB driver handshake (hello) + {ping: 1}.
// Run by stack.sh with NODE_PATH pointing at $STACK_DIR/cache/node-tools/node_modules,
// so it works before the repo's own node_modules exist.
// usage: node mongo-ping.js mongodb://127.0.0.1:27017
const { MongoClient } = require('mongodb');

async function main() {
  const url = process.argv[2] || 'mongodb://127.0.0.1:27017';
  const client = new MongoClient(url, { serverSelectionTimeoutMS: 3000, connectTimeoutMS: 3000 });
  try {
    await client.connect(); // fails if hello's wire version is unsupported by the driver
    const admin = client.db('admin');
    const ping = await admin.command({ ping: 1 });
    if (ping.ok !== 1) throw new Error(`ping not ok: ${JSON.stringify(ping)}`);
    const hello = await admin.command({ hello: 1 });
    console.log(`ok maxWireVersion=${hello.maxWireVersion}`);
  } finally {
    await client.close();
  }
}

main().catch((err) => {
  console.error(`mongo ping failed: ${err.message}`);
  process.exit(1);
});
