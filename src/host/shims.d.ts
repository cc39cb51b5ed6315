// Packages without type declarations of their own.
declare module '@agoric/xsnap';
declare module 'pngjs';
