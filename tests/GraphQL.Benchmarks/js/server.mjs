// graphql-js behind graphql-http's Node handler, serving the benchmark schema over the same in-memory data as the C# side.
// Usage: node server.mjs PORT   (prints "listening PORT" when ready)
import http from 'node:http';
import { createHandler } from 'graphql-http/lib/use/http';
import { buildSchema } from 'graphql';

const schema = buildSchema(`
  enum Genre { FICTION NON_FICTION POETRY }
  type Author { id: ID! name: String! books(genre: Genre): [Book!]! }
  type Book { id: ID! title: String! pages: Int! genre: Genre! author: Author! }
  type Query { authors(first: Int!): [Author!]! }
`);

const genres = ['FICTION', 'NON_FICTION', 'POETRY'];
const authors = [];
for (let a = 0; a < 100; a++) {
  const author = { id: `a${a}`, name: `Author ${a}`, books: [] };
  for (let b = 0; b < 10; b++) author.books.push({ id: `a${a}b${b}`, title: `Book ${b} of ${a}`, pages: 100 + b, genre: genres[(a + b) % 3], author });
  authors.push(author);
}

schema.getQueryType().getFields().authors.resolve = (_, { first }) => authors.slice(0, first);
schema.getType('Author').getFields().books.resolve = (author, { genre }) => genre ? author.books.filter((b) => b.genre === genre) : author.books;

const handler = createHandler({ schema });
const port = Number(process.argv[2] ?? 0);
const server = http.createServer((req, res) => {
  if (req.url.startsWith('/graphql')) return handler(req, res);
  res.writeHead(404).end();
});
server.keepAliveTimeout = 60000;
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));
