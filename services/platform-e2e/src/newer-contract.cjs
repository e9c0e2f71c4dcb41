/*
 * Preloaded into a service process by a test (NODE_OPTIONS=--require) to play the release that fixes a dead letter:
 * its contracts know `identity.user-registered` v2 (an optional `pronouns` more; v1 lifts unchanged), as a release
 * that took the new version would. The service's own code is untouched: its EventCatalog learns the version when
 * first used.
 */
const Module = require('node:module');
const { IsOptional, IsString } = require('class-validator');

const TYPE = 'identity.user-registered';

function learnVersion2(catalog) {
  if (catalog.knowsNewerContract) return;
  catalog.knowsNewerContract = true;
  const v1 = catalog.byType.get(TYPE);
  if (!v1 || v1.schemaVersion >= 2) return;
  class UserRegisteredV2 extends v1.schema {}
  IsOptional()(UserRegisteredV2.prototype, 'pronouns');
  IsString()(UserRegisteredV2.prototype, 'pronouns');
  catalog.byType.set(TYPE, { ...v1, schema: UserRegisteredV2, schemaVersion: 2, upcasters: { ...v1.upcasters, 1: (data) => data } });
}

function patch(EventCatalog) {
  if (EventCatalog.prototype.knowsNewerContract !== undefined) return;
  EventCatalog.prototype.knowsNewerContract = false;
  for (const method of ['parse', 'upcast', 'has', 'currentVersion']) {
    const original = EventCatalog.prototype[method];
    EventCatalog.prototype[method] = function (...args) {
      learnVersion2(this);
      return original.apply(this, args);
    };
  }
}

const originalRequire = Module.prototype.require;
Module.prototype.require = function (...args) {
  const exported = originalRequire.apply(this, args);
  if (exported && typeof exported === "object" && typeof exported.EventCatalog === "function") patch(exported.EventCatalog);
  return exported;
};
