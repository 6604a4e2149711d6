export { parsePrometheusText, type Sample, sumBy, sumOf } from './prometheus-text.ts';
