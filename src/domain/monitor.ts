import { z } from 'zod';
import { Id } from './common.js';

/** A local monitor. Identity and phone are mediator-only and never enter the public log. */
export const MonitorInput = z.strictObject({
  id: Id,
  pseudonym: z.string().min(1).max(100),
  districts: z.array(z.string().min(1).max(200)).max(50),
  languages: z.array(z.enum(['ps', 'ur', 'fa', 'en'])).min(1),
  identity: z.strictObject({ name: z.string().min(1).max(300), phone: z.string().regex(/^\+?[0-9 ()-]{6,20}$/, 'must be a phone number') }).optional(),
});
export type MonitorInput = z.infer<typeof MonitorInput>;

/** Raw text or form input from a monitor or the public, before it becomes a candidate incident. */
export const ReportInput = z.strictObject({
  id: Id,
  monitor: Id.optional(),
  channel: z.enum(['sms', 'web', 'import']),
  text: z.string().min(1).max(5000),
  received_at: z.string().optional(),
  lang: z.enum(['ps', 'ur', 'fa', 'en']).optional(),
});
export type ReportInput = z.infer<typeof ReportInput>;
