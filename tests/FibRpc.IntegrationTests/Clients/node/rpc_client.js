#!/usr/bin/env node
// A client of the classic RabbitMQ RPC pattern written with amqplib, in the style of RabbitMQ's tutorial six
// (rpc_client.js, callback API): an exclusive queue that the server names (amq.gen-*), a correlation id per call,
// one consumer on that queue matching each reply to its call. It knows nothing of FibFunctions but the queue name.
// Arguments, output, settings and exit code as ../python/pika_rpc_client.py's (each request is sent once the
// previous one is answered). Needs amqplib installed beside this file (npm ci here).

const amqp = require('amqplib/callback_api');
const { randomUUID } = require('node:crypto');

const args = process.argv.slice(2);
const url = process.env.RABBITMQ_URL || 'amqp://guest:guest@localhost:5672/';
const queue = process.env.FIBRPC_QUEUE || 'rpc_queue';
const timeoutMs = 1000 * Number(process.env.FIBRPC_CALL_TIMEOUT || '30');

function fail(message) {
  console.error(`rpc_client.js: ${message}`);
  process.exit(1);
}

amqp.connect(url, function (error0, connection) {
  if (error0) {
    fail(`cannot connect: ${error0.message}`);
  }
  connection.createChannel(function (error1, channel) {
    if (error1) {
      fail(`cannot open a channel: ${error1.message}`);
    }
    channel.assertQueue('', { exclusive: true }, function (error2, q) {
      if (error2) {
        fail(`cannot declare the reply queue: ${error2.message}`);
      }
      console.log(`reply_to ${q.queue}`);

      const pending = args.length > 0 ? args : ['30'];
      let n = null;
      let correlationId = null;
      let timer = null;

      function next() {
        if (pending.length === 0) {
          connection.close(function () { process.exit(0); });
          return;
        }
        n = pending.shift();
        correlationId = randomUUID();
        timer = setTimeout(function () { fail(`no reply to '${n}' on ${q.queue} within ${timeoutMs / 1000} s`); }, timeoutMs);
        channel.sendToQueue(queue, Buffer.from(n), { correlationId: correlationId, replyTo: q.queue });
      }

      channel.consume(q.queue, function (msg) {
        // A reply to another (earlier, abandoned) call is ignored, as the pattern requires.
        if (msg.properties.correlationId === correlationId) {
          clearTimeout(timer);
          console.log(`F(${n}) = ${msg.content.toString()}`);
          next();
        }
      }, { noAck: true }, function (error3) {
        if (error3) {
          fail(`cannot consume the reply queue: ${error3.message}`);
        }
        next();
      });
    });
  });
});
