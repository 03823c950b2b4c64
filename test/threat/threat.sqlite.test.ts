import { threatSuite } from './threat.suite.js';

threatSuite('sqlite');
