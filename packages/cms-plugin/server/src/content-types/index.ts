import skill from './skill.json';
import change from './change.json';
import content_state from './content-state.json';
import outbox from './outbox.json';
import delivery from './delivery.json';
import audit from './audit.json';
import endpoint from './endpoint.json';

export default {
  'skill': { schema: skill },
  'change': { schema: change },
  'content-state': { schema: content_state },
  'outbox': { schema: outbox },
  'delivery': { schema: delivery },
  'audit': { schema: audit },
  'endpoint': { schema: endpoint },
};
