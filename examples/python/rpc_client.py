#!/usr/bin/env python3
"""A client of the classic RabbitMQ RPC pattern, as in RabbitMQ's RPC tutorial: an exclusive reply queue, a
correlation id per call, a blocking wait for the matching reply. It knows nothing of FibFunctions but the queue
name, which is the point: such clients work against the service unchanged.

    python3 examples/python/rpc_client.py 10 30 100

Settings: RABBITMQ_URL (default amqp://guest:guest@localhost:5672/), FIBRPC_QUEUE (default rpc_queue).
Needs pika (Debian: apt-get install python3-pika).

When the broker cannot be used (wrong password, unknown virtual host, nothing listening, no request queue) it
prints one line saying what happened and what to do, and exits with 2.
"""
import os
import sys
import time
import uuid
from urllib.parse import urlsplit

import pika
import pika.exceptions


class SetupError(Exception):
    """A problem with the broker or the settings, told in one line."""


class FibonacciRpcClient:
    def __init__(self, url, queue):
        self.queue = queue
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()
        try:
            # A request to a missing queue is dropped silently by the default exchange: find out now instead.
            self.channel.queue_declare(queue=queue, passive=True)
        except pika.exceptions.ChannelClosedByBroker as missing:
            self.connection.close()
            raise SetupError(
                f"the broker has no queue '{queue}' ({missing.reply_text}): start the service (scripts/run.sh) "
                f"or declare the topology (scripts/fibrpc topology); FIBRPC_QUEUE names another queue") from None
        self.channel = self.connection.channel()
        declared = self.channel.queue_declare(queue="", exclusive=True)
        self.callback_queue = declared.method.queue
        self.channel.basic_consume(queue=self.callback_queue, on_message_callback=self.on_response, auto_ack=True)
        self.response = None
        self.corr_id = None

    def on_response(self, channel, method, properties, body):
        # Replies for other (earlier, timed-out) calls are ignored, as the pattern requires.
        if properties.correlation_id == self.corr_id:
            self.response = body

    def call(self, n, timeout=30.0):
        self.response = None
        self.corr_id = str(uuid.uuid4())
        self.channel.basic_publish(
            exchange="",
            routing_key=self.queue,
            properties=pika.BasicProperties(reply_to=self.callback_queue, correlation_id=self.corr_id),
            body=str(n),
        )
        deadline = time.monotonic() + timeout
        while self.response is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no reply for {n} within {timeout} s")
            self.connection.process_data_events(time_limit=min(remaining, 1.0))
        return self.response.decode("utf-8")


def connect(url, queue):
    """The client, or a SetupError that says in one line what went wrong with RABBITMQ_URL and what to do."""
    parts = urlsplit(url)
    where = f"{parts.hostname or 'localhost'}:{parts.port or (5671 if parts.scheme == 'amqps' else 5672)}"
    vhost = parts.path[1:] or "/"
    try:
        return FibonacciRpcClient(url, queue)
    except (pika.exceptions.ProbableAuthenticationError, pika.exceptions.AuthenticationError):
        raise SetupError(f"the broker at {where} refused the user name or password: correct them in RABBITMQ_URL") from None
    except pika.exceptions.ProbableAccessDeniedError:
        raise SetupError(
            f"the broker at {where} refused virtual host '{vhost}' (it does not exist, or the user may not use it): "
            f"correct the path of RABBITMQ_URL, or create it with rabbitmqctl add_vhost and set_permissions") from None
    except pika.exceptions.AMQPConnectionError:
        raise SetupError(
            f"no broker answers at {where}: start one with scripts/broker.sh start, or set RABBITMQ_URL to a running one") from None
    except ValueError as bad:
        raise SetupError(f"RABBITMQ_URL is not a broker URI ({bad}): write it as amqp://user:password@host:5672/vhost") from None


def main(arguments):
    url = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@localhost:5672/")
    queue = os.environ.get("FIBRPC_QUEUE", "rpc_queue")
    try:
        client = connect(url, queue)
    except SetupError as problem:
        print(f"rpc_client.py: {problem}", file=sys.stderr)
        return 2
    failed = False
    for n in arguments or ["30"]:
        try:
            print(f"F({n}) = {client.call(n)}", flush=True)
        except TimeoutError as late:
            print(f"F({n}): {late}: is the service running (scripts/run.sh)?", file=sys.stderr, flush=True)
            failed = True
    client.connection.close()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
