export { startShopfloor, type ShopfloorSystem } from './shopfloor-system.ts';
