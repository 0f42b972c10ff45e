'use client';
// The dashboard's error page, for the pages of one cluster.
export { default } from '../(dashboard)/error';
