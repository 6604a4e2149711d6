export { type ShopfloorSystem, startShopfloor } from './shopfloor-system.ts';
