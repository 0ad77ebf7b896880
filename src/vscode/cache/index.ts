import type { Feature } from '../feature';

export const registerCache: Feature = () => [];
