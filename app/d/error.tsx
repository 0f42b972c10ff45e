'use client';
// The dashboard's error page, for the domain pages outside the (dashboard) group.
export { default } from '../(dashboard)/error';
