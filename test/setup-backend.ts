// Starts the backend a vitest project runs on (LMKIT_TEST_BACKEND), once per test file.
import { initBackend, type BackendName } from '@lmkit/tensor';

const backend = process.env.LMKIT_TEST_BACKEND as BackendName | undefined;
if (backend === undefined) throw new Error('LMKIT_TEST_BACKEND is not set; run tests through vitest.config.ts');
await initBackend(backend);
