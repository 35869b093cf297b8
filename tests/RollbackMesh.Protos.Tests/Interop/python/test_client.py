"""grpcio client for C# server interop tests: runs one scenario against TARGET and prints one JSON line.

Usage: test_client.py TARGET SCENARIO [--tls CERT_PEM]
A failed call prints {"code": "<STATUS_NAME>", "details": "..."}; scenarios add what they observed.
"""
import json
import queue
import sys

import grpc

import health_pb2
import health_pb2_grpc
import transport_test_pb2 as pb
import transport_test_pb2_grpc as pb_grpc

MIB = 1024 * 1024
LIMIT = 4 * MIB


def padded(message, total_size):
    """Sets message.payload so the serialized message is exactly total_size bytes."""
    payload_size = total_size
    while True:
        message.payload = b"q" * max(0, payload_size)
        size = message.ByteSize()
        if size == total_size:
            return message
        payload_size -= size - total_size


def failure(error, **extra):
    return dict(code=error.code().name, details=error.details(), **extra)


def md_dict(metadata):
    result = {}
    for key, value in metadata or ():
        result[key] = value.hex() if isinstance(value, bytes) else value
    return result


def unary(stub):
    metadata = (("x-echo-text", "plain ascii"), ("x-echo-data-bin", bytes([0, 1, 2, 250, 255])))
    reply, call = stub.Echo.with_call(pb.TestRequest(text="hello"), metadata=metadata, timeout=30)
    return dict(ok=True, text=reply.text, initial=md_dict(call.initial_metadata()), trailing=md_dict(call.trailing_metadata()))


def chat(stub):
    """Sends the next message only after the reply to the previous one: proves replies interleave with requests."""
    outbox = queue.Queue()
    texts = ["one", "two", "three"]
    outbox.put(pb.TestRequest(text=texts[0]))

    def requests():
        while True:
            item = outbox.get()
            if item is None:
                return
            yield item

    replies = []
    call = stub.Chat(requests(), timeout=30)
    for reply in call:
        replies.append(reply.text)
        outbox.put(pb.TestRequest(text=texts[len(replies)]) if len(replies) < len(texts) else None)
    return dict(ok=True, replies=replies, code=call.code().name)


def error_trailers_only(stub):
    try:
        stub.Echo(pb.TestRequest(fail_code=5, fail_message="no such node: n\u00f8de-7 \u2603 100%\r\nend"), timeout=30)
        return dict(ok=True)
    except grpc.RpcError as error:
        return failure(error)


def error_midstream(stub):
    received = []
    try:
        for reply in stub.Countdown(pb.TestRequest(text="c", count=3, fail_code=9, fail_message="stopped midway"), timeout=30):
            received.append(reply.index)
        return dict(ok=True, received=received)
    except grpc.RpcError as error:
        return failure(error, received=received)


def deadline(stub):
    try:
        stub.Echo(pb.TestRequest(text="slow", delay_ms=60000), timeout=1.0)
        return dict(ok=True)
    except grpc.RpcError as error:
        return failure(error)


def cancel(stub):
    """Cancels a bidi call once the server has answered, so the handler is known to be running."""
    outbox = queue.Queue()
    outbox.put(pb.TestRequest(text="cancel-me"))

    def requests():
        while True:
            item = outbox.get()
            if item is None:
                return
            yield item

    call = stub.Chat(requests(), timeout=30)
    first = next(call)
    call.cancel()
    outbox.put(None)
    return dict(ok=True, first=first.text, code=call.code().name)


def size_under(stub):
    request = padded(pb.TestRequest(reply_size=LIMIT), LIMIT)
    reply = stub.Echo(request, timeout=60)
    return dict(ok=True, request_size=request.ByteSize(), payload_size=reply.payload_size, reply_size=reply.ByteSize())


def size_over_request(stub):
    try:
        stub.Echo(padded(pb.TestRequest(), LIMIT + 1), timeout=60)
        return dict(ok=True)
    except grpc.RpcError as error:
        return failure(error)


def size_over_reply(stub):
    try:
        stub.Echo(pb.TestRequest(reply_size=LIMIT + 1), timeout=60)
        return dict(ok=True)
    except grpc.RpcError as error:
        return failure(error)


def health(channel):
    response = health_pb2_grpc.HealthStub(channel).Check(health_pb2.HealthCheckRequest(service=""), timeout=30)
    return dict(ok=True, status=health_pb2.HealthCheckResponse.ServingStatus.Name(response.status))


def unimplemented(channel):
    try:
        channel.unary_unary("/rollbackmesh.transporttest.TestService/Missing")(b"", timeout=30)
        return dict(ok=True)
    except grpc.RpcError as error:
        return failure(error)


SCENARIOS = {
    "unary": unary, "chat": chat, "error_trailers_only": error_trailers_only, "error_midstream": error_midstream,
    "deadline": deadline, "cancel": cancel, "size_under": size_under, "size_over_request": size_over_request,
    "size_over_reply": size_over_reply,
}
CHANNEL_SCENARIOS = {"health": health, "unimplemented": unimplemented}


def main():
    target, scenario = sys.argv[1], sys.argv[2]
    options = [("grpc.max_send_message_length", 8 * MIB), ("grpc.max_receive_message_length", 4 * MIB)]
    if len(sys.argv) >= 5 and sys.argv[3] == "--tls":
        with open(sys.argv[4], "rb") as f:
            credentials = grpc.ssl_channel_credentials(root_certificates=f.read())
        options.append(("grpc.ssl_target_name_override", "localhost"))
        channel = grpc.secure_channel(target, credentials, options=options)
    else:
        channel = grpc.insecure_channel(target, options=options)
    with channel:
        if scenario in CHANNEL_SCENARIOS:
            result = CHANNEL_SCENARIOS[scenario](channel)
        else:
            result = SCENARIOS[scenario](pb_grpc.TestServiceStub(channel))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
