import type { Feature } from '../feature';

export const registerServices: Feature = () => [];
