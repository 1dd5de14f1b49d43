export { bar, quote } from '../../../../test/support/records';
