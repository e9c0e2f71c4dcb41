import { startServiceProcess } from '@cbme/testing';

describe('configuration', () => {
  it.each([
    ['MONGO_URL', 'http://db.example', 'MONGO_URL must be a mongodb:// URL'],
    ['KAFKA_BROKERS', 'localhost', 'KAFKA_BROKERS must be host:port'],
  ])('a service refuses to start when %s is invalid, naming the setting', async (name, value, message) => {
    await expect(startServiceProcess('feedback', { [name]: value })).rejects.toThrow(`feedback exited with 78:\nfeedback: invalid configuration: ${name}: ${message}`);
  });
});
