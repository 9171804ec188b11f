namespace Actors.Api;
