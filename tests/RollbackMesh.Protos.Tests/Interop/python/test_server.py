"""grpcio implementation of rollbackmesh.transporttest.TestService, the peer for C# client interop tests.

Prints "LISTENING <port>" once serving; prints "CANCELLED <text>" whenever a call it was serving is cancelled.
Usage: test_server.py [--tls CERT_PEM KEY_PEM]
"""
import sys
import threading
from concurrent import futures

import grpc

import transport_test_pb2 as pb
import transport_test_pb2_grpc as pb_grpc


def log(line):
    print(line, flush=True)


def echo_metadata(context):
    """Returns the request's x-echo* entries, which go back in the initial and trailing metadata."""
    return tuple((k, v) for k, v in context.invocation_metadata() if k.startswith("x-echo"))


def wait_or_cancelled(context, delay_ms, text):
    """Waits delay_ms; returns False (and logs) when the call was cancelled or timed out meanwhile."""
    if delay_ms <= 0:
        return True
    done = threading.Event()
    context.add_callback(done.set)
    done.wait(delay_ms / 1000.0)
    if not context.is_active():
        log("CANCELLED " + text)
        return False
    return True


def padded(message, total_size):
    """Sets message.payload so the serialized message is exactly total_size bytes."""
    payload_size = total_size
    while True:
        message.payload = b"r" * max(0, payload_size)
        size = message.ByteSize()
        if size == total_size:
            return message
        payload_size -= size - total_size


def reply_for(request, context, index=0):
    remaining = context.time_remaining()
    reply = pb.TestReply(
        text=request.text,
        index=index,
        payload_size=len(request.payload),
        time_remaining=-1.0 if remaining is None else remaining)
    return padded(reply, request.reply_size) if request.reply_size > 0 else reply


class TestService(pb_grpc.TestServiceServicer):
    def Echo(self, request, context):
        md = echo_metadata(context)
        if not request.fail_code:
            # Keeps the failure path trailers-only: no HEADERS before the status.
            context.send_initial_metadata(md)
        context.set_trailing_metadata(md)
        if not wait_or_cancelled(context, request.delay_ms, request.text):
            return pb.TestReply()
        if request.fail_code:
            context.abort(code_of(request.fail_code), request.fail_message)
        return reply_for(request, context)

    def Countdown(self, request, context):
        md = echo_metadata(context)
        context.send_initial_metadata(md)
        context.set_trailing_metadata(md)
        for i in range(request.count):
            yield reply_for(request, context, i)
        if request.fail_code:
            context.abort(code_of(request.fail_code), request.fail_message)

    def Collect(self, request_iterator, context):
        texts = [r.text for r in request_iterator]
        return pb.TestReply(text=",".join(texts), index=len(texts))

    def Chat(self, request_iterator, context):
        # The termination callback runs after the generator finished on its own; if it had not, the call was
        # cancelled (grpcio may just stop resuming a generator suspended at yield).
        finished = threading.Event()
        context.add_callback(lambda: None if finished.is_set() else log("CANCELLED chat"))
        try:
            for index, request in enumerate(request_iterator):
                if request.fail_code:
                    finished.set()
                    context.abort(code_of(request.fail_code), request.fail_message)
                yield reply_for(request, context, index)
        except grpc.RpcError:
            # The request iterator raises when the client cancels; the callback reports it.
            return
        # The requests ended: a half-close leaves the call active, a cancellation that ended the iterator does not.
        if context.is_active():
            finished.set()


def code_of(number):
    for code in grpc.StatusCode:
        if code.value[0] == number:
            return code
    raise ValueError(number)


def main():
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=16))
    pb_grpc.add_TestServiceServicer_to_server(TestService(), server)
    if len(sys.argv) >= 4 and sys.argv[1] == "--tls":
        with open(sys.argv[2], "rb") as f:
            cert = f.read()
        with open(sys.argv[3], "rb") as f:
            key = f.read()
        port = server.add_secure_port("127.0.0.1:0", grpc.ssl_server_credentials([(key, cert)]))
    else:
        port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    log("LISTENING %d" % port)
    try:
        # Stop when the test closes stdin (or dies).
        sys.stdin.read()
    finally:
        server.stop(0)


if __name__ == "__main__":
    main()
