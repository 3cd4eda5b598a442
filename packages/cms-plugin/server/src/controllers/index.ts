import admin from './admin';
import { change, content, skill } from './pull';
import tagging from './tagging';

export default {
  admin,
  change,
  content,
  skill,
  tagging,
};
