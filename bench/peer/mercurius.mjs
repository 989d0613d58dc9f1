// SPDX-License-Identifier: MIT
// The benchmark peer: fastify 5 + mercurius 16 with `jit: 1`, serving the songs schema and
// data of the-benchmarker/graphql-benchmarks at /graphql (GET and POST). bench/run.sh
// measures lectern's songs-server against it in the same run.
//
//   node bench/peer/mercurius.mjs [--port N] [--host H]     (default 127.0.0.1:4000)

import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import mercurius from 'mercurius';

function parseArgs(argv) {
    const opts = { port: 4000, host: '127.0.0.1' };
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

const opts = parseArgs(process.argv.slice(2));
const schema = readFileSync(new URL('../songs/songs.graphql', import.meta.url), 'utf8');
const data = JSON.parse(readFileSync(new URL('../songs/songs.json', import.meta.url), 'utf8'));

// Song.artist goes back to its artist; kept out of the song objects so they stay plain data.
const artistOf = new Map();
for (const artist of data.artists) {
    for (const song of artist.songs) artistOf.set(song, artist);
}
const findArtist = (name) => data.artists.find((a) => a.name === name) ?? null;

const resolvers = {
    Query: {
        artists: () => data.artists,
        artist: (_, { name }) => findArtist(name),
    },
    Mutation: {
        like: (_, { artist, song }) => {
            const s = findArtist(artist)?.songs.find((x) => x.name === song);
            if (!s) return null;
            s.likes += 1;
            return s;
        },
    },
    Song: {
        artist: (song) => artistOf.get(song) ?? null,
    },
    // The data holds dates as "YYYY-MM-DD" strings; they are served as they are.
    Date: {
        serialize: (v) => String(v),
        parseValue: (v) => String(v),
        parseLiteral: (ast) => (ast.kind === 'StringValue' ? ast.value : undefined),
    },
};

const app = Fastify({ logger: false });
app.register(mercurius, { schema, resolvers, jit: 1, graphiql: false, path: '/graphql' });

const shutdown = () => {
    app.close().then(
        () => process.exit(0),
        () => process.exit(1),
    );
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

await app.listen({ port: opts.port, host: opts.host });
const addr = app.server.address();
console.log(`mercurius peer listening on http://${opts.host}:${addr.port}/graphql`);
