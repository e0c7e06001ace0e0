/** Where each process listens by default (and the URLs composed into the checked-in supergraph). */
export const GATEWAY_PORT = 4000;

export const SERVICE_PORTS = { partnerships: 4001, activities: 4002, audit: 4003 } as const;

export type ServiceName = keyof typeof SERVICE_PORTS;
