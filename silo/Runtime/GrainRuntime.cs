namespace Actors.Runtime;
