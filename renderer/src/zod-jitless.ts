// Imported first by main.tsx, before any schema is used. Zod's fast path compiles validators with
// `new Function`, which the app's Content-Security-Policy forbids; even probing for it is reported as a
// CSP violation. Jitless mode validates the same way without generating code.
import { z } from 'zod';

z.config({ jitless: true });
