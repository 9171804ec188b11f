namespace Actors;
