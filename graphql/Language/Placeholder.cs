namespace Actors.GraphQL.Language;
