namespace Actors.GraphQL;
