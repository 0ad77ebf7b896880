import type { Feature } from '../feature';

export const registerMigrations: Feature = () => [];
