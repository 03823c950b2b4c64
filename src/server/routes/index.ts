import type { RouteDef } from '../route.js';
import { accountRoutes } from './accounts.js';
import { allegationRoutes } from './allegations.js';
import { assessmentRoutes } from './assessment.js';
import { exchangeRoutes } from './exchange.js';
import { extractRoutes } from './extract.js';
import { keyRoutes } from './keys.js';
import { monitorsRoutes } from './monitors.js';
import { placeRoutes } from './places.js';
import { threatRoutes } from './threat.js';
import { warningRoutes } from './warning.js';
import { healthRoutes } from './health.js';
import { evidenceRoutes } from './evidence.js';
import { recordRoutes } from './records.js';

/** Every API route. The authorization matrix test and the OpenAPI document read this list. */
export const allRoutes: RouteDef[] = [...healthRoutes, ...accountRoutes, ...recordRoutes, ...assessmentRoutes, ...allegationRoutes, ...placeRoutes, ...keyRoutes, ...threatRoutes, ...monitorsRoutes, ...warningRoutes, ...extractRoutes, ...exchangeRoutes, ...evidenceRoutes];
