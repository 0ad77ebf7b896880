import type { Feature } from '../feature';

export const registerTypegen: Feature = () => [];
