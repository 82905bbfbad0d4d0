#!/usr/bin/env python3
"""A client of the classic RabbitMQ RPC pattern, as in RabbitMQ's RPC tutorial: an exclusive reply queue, a
correlation id per call, a blocking wait for the matching reply. It knows nothing of FibFunctions but the queue
name, which is the point: such clients work against the service unchanged.

    python3 examples/python/rpc_client.py 10 30 100

Settings: RABBITMQ_URL (default amqp://guest:guest@localhost:5672/), FIBRPC_QUEUE (default rpc_queue).
Needs pika (Debian: apt-get install python3-pika).
"""
import os
import sys
import time
import uuid

import pika


class FibonacciRpcClient:
    def __init__(self, url, queue):
        self.queue = queue
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
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


def main(arguments):
    url = os.environ.get("RABBITMQ_URL", "amqp://guest:guest@localhost:5672/")
    queue = os.environ.get("FIBRPC_QUEUE", "rpc_queue")
    client = FibonacciRpcClient(url, queue)
    for n in arguments or ["30"]:
        print(f"F({n}) = {client.call(n)}", flush=True)
    client.connection.close()


if __name__ == "__main__":
    main(sys.argv[1:])
