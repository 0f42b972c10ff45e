/** 404 for `/c/{cluster}/ns/{namespace}`: the same page as `/ns/{namespace}`'s, which names the namespace from the URL. */
export { default } from '../../../../(dashboard)/ns/[namespace]/not-found';
