/**
 * Kiungo's dependency rules: the arrows point down (edge -> modules -> engine/event -> kernel),
 * storage libraries stay in stores, nothing is circular or unused. `npm run deps:check` runs them
 * in CI; test/architecture/dependency-rules.test.ts proves they reject what they should.

 * @type {import('dependency-cruiser').IConfiguration}
 */

/** The edge and the wiring: what modules may never import. */
const EDGE = '^src/(http|providers|compose)/';
/** Files that may import ioredis, bullmq and the Redis client: stores, the Redis infrastructure and the wiring. */
const STORAGE_HOMES = '(\\.redis\\.ts|\\.bullmq\\.ts)$|^src/infra/redis/|^src/compose/';

module.exports = {
  forbidden: [
    {
      name: 'kernel-imports-nothing',
      comment: 'src/kernel is the bottom layer (errors, phone, clock, text...): it imports nothing else in src.',
      severity: 'error',
      from: { path: '^src/kernel/' },
      to: { path: '^src/', pathNot: '^src/kernel/' },
    },
    {
      name: 'engine-imports-only-kernel',
      comment: 'The engine is generic: a domain reaches it as an argument (its vocabulary), never as an import.',
      severity: 'error',
      from: { path: '^src/engine/' },
      to: { path: '^src/', pathNot: '^src/(engine|kernel)/' },
    },
    {
      name: 'modules-never-import-the-edge',
      comment: 'Modules are called by the edge (http), reach outside systems through ports (providers) and are wired by compose: they import none of them.',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/(http|providers|compose|config)/', '^src/main\\.ts$'] },
      to: { path: EDGE },
    },
    {
      name: 'only-main-imports-compose',
      comment: 'compose/ is the composition root: only main.ts starts it (compose itself imports everything).',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/compose/', '^src/main\\.ts$'] },
      to: { path: '^src/compose/' },
    },
    {
      name: 'storage-libraries-only-in-stores',
      comment: 'ioredis and bullmq belong in *.redis.ts / *.bullmq.ts stores, src/infra/redis and src/compose; a module reaches them through its port.',
      severity: 'error',
      from: { path: '^src/', pathNot: STORAGE_HOMES },
      to: { path: '(^|/)node_modules/(ioredis|bullmq)/' },
    },
    {
      name: 'redis-client-only-in-stores',
      comment: 'A Redis connection (the RedisClient type included) belongs to stores (*.redis.ts, *.bullmq.ts), src/infra/redis, the wiring in src/compose and main.ts; every other file reaches Redis through a store or a port (a readiness probe, a store\'s named methods).',
      severity: 'error',
      from: { path: '^src/', pathNot: [STORAGE_HOMES, '^src/main\\.ts$'] },
      to: { path: '^src/infra/redis/client\\.ts$' },
    },
    {
      name: 'no-circular',
      comment: 'A cycle of runtime imports means two files cannot be loaded, understood or tested one without the other (a cycle through `import type` alone vanishes at run time: a node type naming the runtime it renders with is fine).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-orphans',
      comment: 'A file nothing imports is dead code (main.ts is the entry point; type declarations are picked up by the compiler).',
      severity: 'error',
      from: { path: '^src/', orphan: true, pathNot: ['^src/main\\.ts$', '\\.d\\.ts$'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a module that names a store's types still depends on its layer.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
