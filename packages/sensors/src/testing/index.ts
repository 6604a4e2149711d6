export { storedAlert } from './stored-alert.ts';
