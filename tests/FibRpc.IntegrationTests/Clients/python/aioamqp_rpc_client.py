#!/usr/bin/python3
"""A client of the classic RabbitMQ RPC pattern written with aioamqp, in the style of aioamqp's own
examples/rpc_client.py: an exclusive callback queue declared without a name, which aioamqp names itself
(aioamqp.gen-<uuid>, chosen by the client, not a server-named amq.gen-* queue), a correlation id per call, and an
asyncio event that the matching reply sets. It knows nothing of FibFunctions but the queue name.

Arguments, output, settings and exit code as pika_rpc_client.py's. Needs Debian's python3-aioamqp.
"""
import asyncio
import os
import sys
import uuid

import aioamqp


class FibonacciRpcClient:
    def __init__(self, url, queue):
        self.url = url
        self.queue = queue
        self.transport = None
        self.protocol = None
        self.channel = None
        self.callback_queue = None
        self.corr_id = None
        self.response = None
        self.waiter = asyncio.Event()

    async def connect(self):
        self.transport, self.protocol = await aioamqp.from_url(self.url)
        self.channel = await self.protocol.channel()

        # No name: aioamqp makes one up (aioamqp.gen-<uuid>) and declares the queue under it.
        result = await self.channel.queue_declare(queue_name='', exclusive=True)
        self.callback_queue = result['queue']

        await self.channel.basic_consume(
            self.on_response,
            no_ack=True,
            queue_name=self.callback_queue,
        )

    async def on_response(self, channel, body, envelope, properties):
        # A reply to another (earlier, abandoned) call is ignored, as the pattern requires.
        if self.corr_id == properties.correlation_id:
            self.response = body
            self.waiter.set()

    async def call(self, n, timeout):
        self.response = None
        self.waiter.clear()
        self.corr_id = str(uuid.uuid4())
        await self.channel.basic_publish(
            payload=str(n).encode('utf-8'),
            exchange_name='',
            routing_key=self.queue,
            properties={
                'reply_to': self.callback_queue,
                'correlation_id': self.corr_id,
            },
        )
        try:
            await asyncio.wait_for(self.waiter.wait(), timeout)
        except asyncio.TimeoutError:
            raise TimeoutError(f"no reply to {n!r} on {self.callback_queue} within {timeout} s") from None
        return self.response.decode('utf-8')

    async def close(self):
        await self.protocol.close()
        self.transport.close()


async def rpc_client(arguments):
    url = os.environ.get('RABBITMQ_URL', 'amqp://guest:guest@localhost:5672/')
    queue = os.environ.get('FIBRPC_QUEUE', 'rpc_queue')
    timeout = float(os.environ.get('FIBRPC_CALL_TIMEOUT', '30'))
    fibonacci_rpc = FibonacciRpcClient(url, queue)
    await fibonacci_rpc.connect()
    print(f"reply_to {fibonacci_rpc.callback_queue}", flush=True)
    try:
        for n in arguments or ['30']:
            print(f"F({n}) = {await fibonacci_rpc.call(n, timeout)}", flush=True)
    finally:
        await fibonacci_rpc.close()


if __name__ == '__main__':
    try:
        asyncio.run(rpc_client(sys.argv[1:]))
    except TimeoutError as e:
        print(f"aioamqp_rpc_client: {e}", file=sys.stderr)
        sys.exit(1)
