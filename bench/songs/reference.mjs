// SPDX-License-Identifier: MIT
// The reference for the differential conformance tests: the songs schema and data served by
// plain graphql-js 16 through graphql-http's createHandler on node:http, at /graphql.
// Each start has its own fresh copy of the data (likes at 0).
//
//   node bench/songs/reference.mjs [--port N] [--host H]    (default 127.0.0.1:4001)
//   import { startReference } from './reference.mjs';
//   const ref = await startReference({ port: 0 });  // ref.url, await ref.close()

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';
import { buildSchema } from 'graphql';
import { createHandler } from 'graphql-http/lib/use/http';

const SDL = readFileSync(new URL('./songs.graphql', import.meta.url), 'utf8');
const DATA = readFileSync(new URL('./songs.json', import.meta.url), 'utf8');

/** Builds an executable songs schema over a fresh copy of the data. */
export function createSongsSchema() {
    const data = JSON.parse(DATA);
    const artistOf = new Map();
    for (const artist of data.artists) {
        for (const song of artist.songs) artistOf.set(song, artist);
    }
    const findArtist = (name) => data.artists.find((a) => a.name === name) ?? null;

    const schema = buildSchema(SDL);
    const q = schema.getQueryType().getFields();
    q.artists.resolve = () => data.artists;
    q.artist.resolve = (_, { name }) => findArtist(name);
    schema.getMutationType().getFields().like.resolve = (_, { artist, song }) => {
        const s = findArtist(artist)?.songs.find((x) => x.name === song);
        if (!s) return null;
        s.likes += 1;
        return s;
    };
    schema.getType('Song').getFields().artist.resolve = (song) => artistOf.get(song) ?? null;

    // The data holds dates as "YYYY-MM-DD" strings; they are served as they are.
    const date = schema.getType('Date');
    date.serialize = (v) => String(v);
    date.parseValue = (v) => String(v);
    date.parseLiteral = (ast) => (ast.kind === 'StringValue' ? ast.value : undefined);
    return schema;
}

/**
 * Starts the reference server. port 0 (the default) picks a free port.
 * Resolves to { url, port, close() }; url is http://host:port/graphql and close() resolves
 * once the server has stopped.
 */
export async function startReference({ port = 0, host = '127.0.0.1' } = {}) {
    const handler = createHandler({ schema: createSongsSchema() });
    const server = createServer((req, res) => {
        if (req.url === '/graphql' || req.url.startsWith('/graphql?')) {
            handler(req, res);
            return;
        }
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
    });
    server.keepAliveTimeout = 5000;
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
            server.off('error', reject);
            resolve();
        });
    });
    const bound = server.address().port;
    return {
        url: `http://${host}:${bound}/graphql`,
        port: bound,
        close: () =>
            new Promise((resolve) => {
                server.close(() => resolve());
                server.closeAllConnections();
            }),
    };
}

function parseArgs(argv) {
    const opts = { port: 4001, host: '127.0.0.1' };
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        const val = () => {
            if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
            return argv[++i];
        };
        if (a === '--port') opts.port = Number(val());
        else if (a === '--host') opts.host = val();
        else throw new Error(`unknown argument ${a}`);
    }
    if (!Number.isInteger(opts.port) || opts.port < 0 || opts.port > 65535) {
        throw new Error('--port must be an integer in 0..65535');
    }
    return opts;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    const ref = await startReference(parseArgs(process.argv.slice(2)));
    console.log(`graphql-js reference listening on ${ref.url}`);
    const stop = () => ref.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
}
