#!/usr/bin/env python3
"""A non-Node gRPC client that knows the server only through server reflection, as grpcurl does.

Usage: reflection_client.py ADDRESS {v1|v1alpha} POOL_NAME

Over one ServerReflectionInfo stream it lists the services, fetches the file that defines
peloton.api.v1alpha.respool.ResourcePoolService and every file it depends on, builds message
classes from those descriptors alone, then calls ResourcePoolService with them. Prints one JSON
object to stdout; on any failure prints a message to stderr and exits non-zero.

Needs only the standard library, grpcio and protobuf (Debian: python3-grpcio, python3-protobuf).
"""

import json
import queue
import sys

import grpc
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

RESPOOL_SERVICE = "peloton.api.v1alpha.respool.ResourcePoolService"
REFLECTION_PACKAGE = "grpc.reflection.v1"
RPC_TIMEOUT_SECONDS = 20

F = descriptor_pb2.FieldDescriptorProto


class ClientError(Exception):
    pass


# --- The reflection protocol's messages, described by hand ---------------------------------------


def _message(file_proto, name, fields, oneofs=()):
    msg = file_proto.message_type.add(name=name)
    for oneof in oneofs:
        msg.oneof_decl.add(name=oneof)
    for spec in fields:
        name, number, ftype = spec[0], spec[1], spec[2]
        options = spec[3] if len(spec) > 3 else {}
        field = msg.field.add(name=name, number=number, type=ftype)
        field.label = F.LABEL_REPEATED if options.get("repeated") else F.LABEL_OPTIONAL
        if "type_name" in options:
            field.type_name = f".{REFLECTION_PACKAGE}.{options['type_name']}"
        if "oneof" in options:
            field.oneof_index = list(oneofs).index(options["oneof"])
    return msg


def reflection_file_proto():
    """grpc/reflection/v1/reflection.proto: the messages of ServerReflectionInfo."""
    fp = descriptor_pb2.FileDescriptorProto(
        name="grpc/reflection/v1/reflection.proto", package=REFLECTION_PACKAGE, syntax="proto3"
    )
    req_oneof = {"oneof": "message_request"}
    _message(
        fp,
        "ServerReflectionRequest",
        [
            ("host", 1, F.TYPE_STRING),
            ("file_by_filename", 3, F.TYPE_STRING, req_oneof),
            ("file_containing_symbol", 4, F.TYPE_STRING, req_oneof),
            ("file_containing_extension", 5, F.TYPE_MESSAGE, {**req_oneof, "type_name": "ExtensionRequest"}),
            ("all_extension_numbers_of_type", 6, F.TYPE_STRING, req_oneof),
            ("list_services", 7, F.TYPE_STRING, req_oneof),
        ],
        oneofs=["message_request"],
    )
    _message(fp, "ExtensionRequest", [("containing_type", 1, F.TYPE_STRING), ("extension_number", 2, F.TYPE_INT32)])
    res_oneof = {"oneof": "message_response"}
    _message(
        fp,
        "ServerReflectionResponse",
        [
            ("valid_host", 1, F.TYPE_STRING),
            ("original_request", 2, F.TYPE_MESSAGE, {"type_name": "ServerReflectionRequest"}),
            ("file_descriptor_response", 4, F.TYPE_MESSAGE, {**res_oneof, "type_name": "FileDescriptorResponse"}),
            (
                "all_extension_numbers_response",
                5,
                F.TYPE_MESSAGE,
                {**res_oneof, "type_name": "ExtensionNumberResponse"},
            ),
            ("list_services_response", 6, F.TYPE_MESSAGE, {**res_oneof, "type_name": "ListServiceResponse"}),
            ("error_response", 7, F.TYPE_MESSAGE, {**res_oneof, "type_name": "ErrorResponse"}),
        ],
        oneofs=["message_response"],
    )
    _message(fp, "FileDescriptorResponse", [("file_descriptor_proto", 1, F.TYPE_BYTES, {"repeated": True})])
    _message(
        fp,
        "ExtensionNumberResponse",
        [("base_type_name", 1, F.TYPE_STRING), ("extension_number", 2, F.TYPE_INT32, {"repeated": True})],
    )
    _message(fp, "ListServiceResponse", [("service", 1, F.TYPE_MESSAGE, {"repeated": True, "type_name": "ServiceResponse"})])
    _message(fp, "ServiceResponse", [("name", 1, F.TYPE_STRING)])
    _message(fp, "ErrorResponse", [("error_code", 1, F.TYPE_INT32), ("error_message", 2, F.TYPE_STRING)])
    return fp


def add_file(pool, file_proto):
    if hasattr(pool, "AddSerializedFile"):
        pool.AddSerializedFile(file_proto.SerializeToString())
    else:
        pool.Add(file_proto)


def message_class(pool, descriptor_or_name):
    desc = descriptor_or_name
    if isinstance(descriptor_or_name, str):
        desc = pool.FindMessageTypeByName(descriptor_or_name)
    get = getattr(message_factory, "GetMessageClass", None)  # protobuf >= 4.22
    if get is not None:
        return get(desc)
    return message_factory.MessageFactory(pool).GetPrototype(desc)


# --- One ServerReflectionInfo stream, request by request ----------------------------------------


class ReflectionStream:
    def __init__(self, channel, package):
        pool = descriptor_pool.DescriptorPool()
        add_file(pool, reflection_file_proto())
        self.Request = message_class(pool, f"{REFLECTION_PACKAGE}.ServerReflectionRequest")
        self.Response = message_class(pool, f"{REFLECTION_PACKAGE}.ServerReflectionResponse")
        self._outbox = queue.Queue()
        method = f"/grpc.reflection.{package}.ServerReflection/ServerReflectionInfo"
        call = channel.stream_stream(
            method,
            request_serializer=self.Request.SerializeToString,
            response_deserializer=self.Response.FromString,
        )
        self._responses = call(self._requests(), timeout=RPC_TIMEOUT_SECONDS)
        # Quirks of the server's answers that a strict client might trip over.
        self.notes = []

    def _requests(self):
        while True:
            item = self._outbox.get()
            if item is None:
                return
            yield item

    def ask(self, **fields):
        request = self.Request(**fields)
        self._outbox.put(request)
        try:
            response = next(self._responses)
        except StopIteration:
            raise ClientError(f"reflection stream ended before answering {fields}") from None
        what = ", ".join(f"{k}={v!r}" for k, v in fields.items())
        if response.HasField("original_request"):
            if response.original_request != request:
                raise ClientError(f"answer to [{what}] echoes a different request: {response.original_request}")
        else:
            self.notes.append(f"answer to [{what}] has no original_request")
        kind = response.WhichOneof("message_response")
        if kind == "error_response":
            err = response.error_response
            code = _status_name(err.error_code)
            raise ClientError(f"reflection error for [{what}]: {code}: {err.error_message}")
        return response

    def close(self):
        self._outbox.put(None)
        for _ in self._responses:
            pass


def _status_name(number):
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code.name
    return str(number)


def resolve_files(stream, symbol):
    """The file defining `symbol` and all its transitive dependencies, by name."""
    files = {}
    sent_with_symbol = []
    fetched_by_filename = []

    def absorb(response, into):
        kind = response.WhichOneof("message_response")
        if kind != "file_descriptor_response":
            raise ClientError(f"expected file_descriptor_response, got {kind}")
        for raw in response.file_descriptor_response.file_descriptor_proto:
            fp = descriptor_pb2.FileDescriptorProto.FromString(raw)
            if fp.name not in files:
                files[fp.name] = fp
                into.append(fp.name)

    absorb(stream.ask(file_containing_symbol=symbol), sent_with_symbol)
    if not sent_with_symbol:
        raise ClientError(f"no file returned for symbol {symbol}")
    short = symbol.rsplit(".", 1)[-1]
    roots = [n for n in sent_with_symbol if any(s.name == short for s in files[n].service)]
    if not roots:
        raise ClientError(f"none of {sent_with_symbol} defines {symbol}")

    missing = [d for fp in list(files.values()) for d in fp.dependency if d not in files]
    while missing:
        name = missing.pop(0)
        if name in files:
            continue
        absorb(stream.ask(file_by_filename=name), fetched_by_filename)
        if name not in files:
            raise ClientError(f"file_by_filename {name} did not return {name}")
        missing.extend(d for d in files[name].dependency if d not in files)
    return files, roots[0], sent_with_symbol, fetched_by_filename


def build_pool(files):
    """A fresh pool holding `files`, each added after its dependencies; returns the order used."""
    pool = descriptor_pool.DescriptorPool()
    order = []
    done = set()

    def visit(name, path):
        if name in done:
            return
        if name in path:
            raise ClientError(f"import cycle: {' -> '.join([*path, name])}")
        if name not in files:
            raise ClientError(f"{path[-1]} imports {name}, which reflection did not provide")
        for dep in files[name].dependency:
            visit(dep, [*path, name])
        add_file(pool, files[name])
        done.add(name)
        order.append(name)

    for name in sorted(files):
        visit(name, [])
    return pool, order


# --- Calling ResourcePoolService with the dynamic classes ---------------------------------------


def unary(channel, pool, service, method_name):
    method = service.methods_by_name.get(method_name)
    if method is None:
        raise ClientError(f"{service.full_name} has no method {method_name}")
    req_cls = message_class(pool, method.input_type)
    res_cls = message_class(pool, method.output_type)
    stub = channel.unary_unary(
        f"/{service.full_name}/{method_name}",
        request_serializer=req_cls.SerializeToString,
        response_deserializer=res_cls.FromString,
    )
    return req_cls, lambda request: stub(request, timeout=RPC_TIMEOUT_SECONDS)


def expect_error(call, request, label):
    try:
        response = call(request)
    except grpc.RpcError as err:
        return err.code().name, err.details()
    raise ClientError(f"{label} succeeded but should have failed: {response}")


def enum_name(message, field_name):
    field = message.DESCRIPTOR.fields_by_name[field_name]
    value = field.enum_type.values_by_number.get(getattr(message, field_name))
    return value.name if value else getattr(message, field_name)


def run(address, package, pool_name):
    if package not in ("v1", "v1alpha"):
        raise ClientError(f"reflection package must be v1 or v1alpha, not {package!r}")
    with grpc.insecure_channel(address) as channel:
        stream = ReflectionStream(channel, package)
        try:
            listed = stream.ask(list_services="*")
            if listed.WhichOneof("message_response") != "list_services_response":
                raise ClientError(f"list_services answered {listed.WhichOneof('message_response')}")
            services = sorted(s.name for s in listed.list_services_response.service)
            files, root_file, sent_with_symbol, fetched = resolve_files(stream, RESPOOL_SERVICE)
        finally:
            stream.close()

        pool, order = build_pool(files)
        service = pool.FindServiceByName(RESPOOL_SERVICE)
        Create, create = unary(channel, pool, service, "CreateResourcePool")
        Get, get = unary(channel, pool, service, "GetResourcePool")

        request = Create()
        request.spec.name = pool_name
        request.spec.parent.value = "root"
        cpu = request.spec.resources.add(kind="cpu", reservation=2, limit=4, share=1)
        type_field = cpu.DESCRIPTOR.fields_by_name["type"]
        cpu.type = type_field.enum_type.values_by_name["RESERVATION_TYPE_ELASTIC"].number
        created = create(request)
        created_id = created.respool_id.value
        if not created_id:
            raise ClientError(f"CreateResourcePool returned no id: {created}")

        got = get(Get(respool_id={"value": created_id})).respool
        cpus = [r for r in got.spec.resources if r.kind == "cpu"]
        if len(cpus) != 1:
            raise ClientError(f"GetResourcePool returned {len(cpus)} cpu resources: {got}")
        got_cpu = cpus[0]

        again = Create()
        again.CopyFrom(request)
        again.respool_id.value = created_id
        exists_code, exists_details = expect_error(create, again, "second CreateResourcePool")
        missing_code, missing_details = expect_error(
            get, Get(respool_id={"value": f"missing-{pool_name}"}), "GetResourcePool of a missing id"
        )

    return {
        "reflection_package": package,
        "services": services,
        "files": order,
        "root_file": root_file,
        "sent_with_symbol": sent_with_symbol,
        "fetched_by_filename": fetched,
        "reflection_notes": stream.notes,
        "created_id": created_id,
        "pool": {
            "id": got.respool_id.value,
            "path": got.path.value,
            "name": got.spec.name,
            "parent": got.parent.value,
            "spec_parent": got.spec.parent.value,
            "cpu": {
                "kind": got_cpu.kind,
                "reservation": got_cpu.reservation,
                "limit": got_cpu.limit,
                "share": got_cpu.share,
                "type": enum_name(got_cpu, "type"),
            },
        },
        "errors": {
            "create_again": {"code": exists_code, "details": exists_details},
            "get_missing": {"code": missing_code, "details": missing_details},
        },
    }


def main(argv):
    if len(argv) != 4:
        print(f"usage: {argv[0]} ADDRESS {{v1|v1alpha}} POOL_NAME", file=sys.stderr)
        return 2
    try:
        result = run(argv[1], argv[2], argv[3])
    except grpc.RpcError as err:
        print(f"reflection_client: RPC failed: {err.code().name}: {err.details()}", file=sys.stderr)
        return 1
    except ClientError as err:
        print(f"reflection_client: {err}", file=sys.stderr)
        return 1
    except Exception as err:  # anything unexpected still fails loudly, with its type
        print(f"reflection_client: {type(err).__name__}: {err}", file=sys.stderr)
        return 1
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
