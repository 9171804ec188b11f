using System.Text;

namespace Actors.GraphQL.CodeFirst;

/// <summary>Hot Chocolate's naming: camelCase fields and arguments, UPPER_SNAKE enum values, "Get" and "Async" dropped from methods.</summary>
public static class Naming
{
    public static string Field(string memberName)
    {
        if (memberName.Length > 3 && memberName.StartsWith("Get", StringComparison.Ordinal) && char.IsUpper(memberName[3])) memberName = memberName[3..];
        if (memberName.Length > 5 && memberName.EndsWith("Async", StringComparison.Ordinal)) memberName = memberName[..^5];
        return CamelCase(memberName);
    }

    public static string CamelCase(string name)
    {
        if (name.Length == 0 || char.IsLower(name[0])) return name;
        int upper = 0;
        while (upper < name.Length && char.IsUpper(name[upper])) upper++;
        // "ID" -> "id", "URLPath" -> "urlPath", "Name" -> "name"
        int lowerCount = upper == name.Length ? upper : Math.Max(1, upper - 1);
        return name[..lowerCount].ToLowerInvariant() + name[lowerCount..];
    }

    public static string UpperSnake(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (int i = 0; i < name.Length; i++)
        {
            char c = name[i];
            if (i > 0 && char.IsUpper(c) && (char.IsLower(name[i - 1]) || char.IsDigit(name[i - 1]) || i + 1 < name.Length && char.IsLower(name[i + 1]) && char.IsUpper(name[i - 1])))
                builder.Append('_');
            builder.Append(char.ToUpperInvariant(c));
        }
        return builder.ToString();
    }

    /// <summary>A type's GraphQL name: generic arguments are prefixed ("Connection&lt;Card&gt;" becomes "CardConnection").</summary>
    public static string Type(Type type)
    {
        if (!type.IsGenericType) return type.Name;
        var baseName = type.Name[..type.Name.IndexOf('`')];
        return string.Concat(type.GetGenericArguments().Select(Type)) + baseName;
    }
}
