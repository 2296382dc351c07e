// Imported first by main.tsx: zod 4 compiles object parsers with `new Function` unless
// told not to, which a strict CSP (script-src 'self', no 'unsafe-eval') forbids. Setting
// jitless before any schema is built also skips zod's eval probe (no CSP violation report).
import { z } from 'zod';

z.config({ jitless: true });
