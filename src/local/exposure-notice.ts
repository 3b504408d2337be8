/**
 * DynamoDB Local binds every interface, with no option to bind one, and accepts any credentials:
 * whoever can reach the port can read and change its tables. Said next to the endpoint, because
 * that is where the user learns the port.
 */
export function networkExposureNotice(endpoint: string): string {
  return `It listens on every network interface and takes any credentials: on a shared network, firewall port ${new URL(endpoint).port}.`;
}
