import { change, content, skill } from './pull';
import tagging from './tagging';

export default {
  change,
  content,
  skill,
  tagging,
};
