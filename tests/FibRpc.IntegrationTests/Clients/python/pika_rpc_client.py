#!/usr/bin/python3
"""A client of the classic RabbitMQ RPC pattern written with pika, in the style of RabbitMQ's tutorial six
(rpc_client.py): an exclusive queue that the server names (amq.gen-*), a correlation id per call, and a blocking
connection polled until the matching reply arrives. It knows nothing of FibFunctions but the queue name.

    /usr/bin/python3 pika_rpc_client.py 10 30 abc

Prints "reply_to <callback queue>", then "F(<n>) = <reply body>" per argument; exits 1 when a call gets no reply
within FIBRPC_CALL_TIMEOUT seconds (default 30). RABBITMQ_URL and FIBRPC_QUEUE name the broker and the queue
(default amqp://guest:guest@localhost:5672/ and rpc_queue). Needs Debian's python3-pika.
"""
import os
import sys
import time
import uuid

import pika


class FibonacciRpcClient(object):

    def __init__(self, url, queue):
        self.queue = queue
        self.connection = pika.BlockingConnection(pika.URLParameters(url))
        self.channel = self.connection.channel()

        result = self.channel.queue_declare(queue='', exclusive=True)
        self.callback_queue = result.method.queue

        self.channel.basic_consume(
            queue=self.callback_queue,
            on_message_callback=self.on_response,
            auto_ack=True)

        self.response = None
        self.corr_id = None

    def on_response(self, ch, method, props, body):
        if self.corr_id == props.correlation_id:
            self.response = body

    def call(self, n, timeout):
        self.response = None
        self.corr_id = str(uuid.uuid4())
        self.channel.basic_publish(
            exchange='',
            routing_key=self.queue,
            properties=pika.BasicProperties(
                reply_to=self.callback_queue,
                correlation_id=self.corr_id,
            ),
            body=str(n))
        deadline = time.monotonic() + timeout
        while self.response is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no reply to {n!r} on {self.callback_queue} within {timeout} s")
            self.connection.process_data_events(time_limit=min(remaining, 1.0))
        return self.response.decode('utf-8')


def main(arguments):
    url = os.environ.get('RABBITMQ_URL', 'amqp://guest:guest@localhost:5672/')
    queue = os.environ.get('FIBRPC_QUEUE', 'rpc_queue')
    timeout = float(os.environ.get('FIBRPC_CALL_TIMEOUT', '30'))
    fibonacci_rpc = FibonacciRpcClient(url, queue)
    print(f"reply_to {fibonacci_rpc.callback_queue}", flush=True)
    try:
        for n in arguments or ['30']:
            print(f"F({n}) = {fibonacci_rpc.call(n, timeout)}", flush=True)
    finally:
        fibonacci_rpc.connection.close()


if __name__ == '__main__':
    try:
        main(sys.argv[1:])
    except TimeoutError as e:
        print(f"pika_rpc_client: {e}", file=sys.stderr)
        sys.exit(1)
