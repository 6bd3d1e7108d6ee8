import {
  type ChannelCredentials,
  credentials as grpcCredentials,
  makeGenericClientConstructor,
} from "@grpc/grpc-js";

const identity = (b: Buffer) => b;
const Reflection = makeGenericClientConstructor(
  {
    serverReflectionInfo: {
      path: "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
      requestStream: true,
      responseStream: true,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  },
  "ServerReflection",
);

/**
 * Asks reflection to list the services, with bare grpc-js and hand-encoded bytes (field 7,
 * `list_services: ""`), no credentials of any kind in the metadata; resolves with the
 * response's size in bytes.
 */
export function listServicesBytes(
  address: string,
  creds: ChannelCredentials = grpcCredentials.createInsecure(),
): Promise<number> {
  const client = new Reflection(address, creds);
  return new Promise<number>((resolve, reject) => {
    const call = client.serverReflectionInfo!();
    call.on("data", (b: Buffer) => {
      resolve(b.length);
      call.end();
    });
    call.on("error", reject);
    call.write(Buffer.from([0x3a, 0x00]));
  }).finally(() => client.close());
}
